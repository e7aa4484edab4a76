•
Ù
Ö
gvproxyÊ
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=VmGvproxyErrorretry=transient6ancestors=VmTransientError TransientError SandboxErrormessage=safe	: gvproxy*
fmt/*fmt.wrapError
fmt/*fmt.wrapError 