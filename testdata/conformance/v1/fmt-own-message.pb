¡
Ù
Ö
crashÌ
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=VmQemuCrashErrorretry=transient6ancestors=VmTransientError TransientError SandboxErrormessage=safecrash (after 3 tries)*
fmt/*fmt.wrapError
fmt/*fmt.wrapError 