·
D
B
gone:
errors/*errors.errorString
errors/*errors.errorStringo
.github.com/errcode/errcode/*errcode.withStatus0
.github.com/errcode/errcode/*errcode.withStatusgrpc-code=5