
Ñ
a; b,
fmt/*fmt.wrapErrors
fmt/*fmt.wrapErrorsÓ
Ð
aÊ
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=VmGvproxyErrorretry=transient6ancestors=VmTransientError TransientError SandboxErrormessage=safeÄ
Á
b»
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=AssetChecksumErrorretry=unspecified!ancestors=AssetError SandboxErrormessage=safe