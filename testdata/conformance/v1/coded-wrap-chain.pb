–
ØÕ
O
M
qemu-img failed:
errors/*errors.errorString
errors/*errors.errorStringoverlayø
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=VmOverlayErrorretry=transient6ancestors=VmTransientError TransientError SandboxErrormessage=safe"«
.type.googleapis.com/google.protobuf.BytesValuey
w{"fields":{"attempt":3,"stderr":"no space left","took":1500000000},"field_types":{"attempt":"int32","took":"duration"}}starting vm 7*
fmt/*fmt.wrapError
fmt/*fmt.wrapError