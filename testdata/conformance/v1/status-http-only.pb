½
F
D
teapot:
errors/*errors.errorString
errors/*errors.errorStrings
.github.com/errcode/errcode/*errcode.withStatus0
.github.com/errcode/errcode/*errcode.withStatushttp-status=418