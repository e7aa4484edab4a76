·
B
@
io:
errors/*errors.errorString
errors/*errors.errorStringq
-github.com/errcode/errcode/*errcode.withRetry/
-github.com/errcode/errcode/*errcode.withRetryretry=transient