ü
Ú
×
slowÎ
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=VmBootTimeoutErrorretry=transient6ancestors=VmTransientError TransientError SandboxErrormessage=safeœ
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=PermanentErrorretry=permanentancestors=SandboxError