ý
Æ
Ã
x
y6
errors/*errors.joinError
errors/*errors.joinErrorA
?
x:
errors/*errors.errorString
errors/*errors.errorStringA
?
y:
errors/*errors.errorString
errors/*errors.errorStringsave«
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=SnapshotErrorretry=unspecifiedancestors=SandboxErrormessage=safe