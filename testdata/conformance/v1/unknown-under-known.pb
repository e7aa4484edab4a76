
å
resetÛ
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=ConfSocketResetErrorretry=transientAancestors=CommunicationTransientError TransientError SandboxErrormessage=safe