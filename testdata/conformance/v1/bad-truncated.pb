
Ü
bad vcpu countÉ
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=VmConfigErrorretry=permanent6ancestors=VmPermanentError PermanentError SandboxErrormessage=s