„
Ú
×
slowÎ
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=VmBootTimeoutErrorretry=transient6ancestors=VmTransientError TransientError SandboxErrormessage=safebootž
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=SandboxErrorretry=unspecified
ancestors=message=safe