
™
qemu-imgŒ
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=QemuImgErrorretry=transient6ancestors=VmTransientError TransientError SandboxError"P
.type.googleapis.com/google.protobuf.BytesValue
{"fields":{"stderr":"full"}}