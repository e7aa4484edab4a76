
†ù
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=SnapshotErrorretry=unspecifiedancestors=SandboxError