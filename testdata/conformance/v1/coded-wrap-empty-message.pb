â
C
A
eof:
errors/*errors.errorString
errors/*errors.errorStringš
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=AssetErrorretry=unspecifiedancestors=SandboxError