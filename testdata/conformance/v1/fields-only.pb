õ
E
C
plain:
errors/*errors.errorString
errors/*errors.errorString«
.github.com/errcode/errcode/*errcode.withFields0
.github.com/errcode/errcode/*errcode.withFields"G
.type.googleapis.com/google.protobuf.BytesValue
{"fields":{"vm":7}}