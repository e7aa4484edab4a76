†
Ô
Ñ
badÉ
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=VmConfigErrorretry=permanent6ancestors=VmPermanentError PermanentError SandboxErrormessage=safew*
fmt/*fmt.wrapError
fmt/*fmt.wrapError†
Ô
Ñ
badÉ
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=VmConfigErrorretry=permanent6ancestors=VmPermanentError PermanentError SandboxErrormessage=safew*
fmt/*fmt.wrapError
fmt/*fmt.wrapError