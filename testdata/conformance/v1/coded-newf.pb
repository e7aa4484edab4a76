
¶
vcpus 64 > max£
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=VmConfigErrorretry=permanent6ancestors=VmPermanentError PermanentError SandboxError"f
.type.googleapis.com/google.protobuf.BytesValue4
2{"redactable_message":"vcpus â€¹64â€º \u003e max"}