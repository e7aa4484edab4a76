
Ö
fatalÌ
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=ConfFatalVmErrorretry=permanent6ancestors=VmTransientError TransientError SandboxErrormessage=safe