æ
›˜
F
D
raw þý:
errors/*errors.errorString
errors/*errors.errorString	overlay ÃÂ
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=VmOverlayErrorretry=transient6ancestors=VmTransientError TransientError SandboxErrormessage=safe"v
.type.googleapis.com/google.protobuf.BytesValueD
B{"fields":{"stderr":"//4="},"field_types":{"stderr":"bytestring"}}vm ÿ: overlay Ã?: raw þý*
fmt/*fmt.wrapError
fmt/*fmt.wrapError 