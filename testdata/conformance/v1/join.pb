
ö
slow
bad6
errors/*errors.joinError
errors/*errors.joinErrorÚ
×
slowÎ
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=VmBootTimeoutErrorretry=transient6ancestors=VmTransientError TransientError SandboxErrormessage=safeÔ
Ñ
badÉ
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=VmConfigErrorretry=permanent6ancestors=VmPermanentError PermanentError SandboxErrormessage=safe