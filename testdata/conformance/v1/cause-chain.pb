Þ
¬©
äá
¯¬
wu
D
B
root:
errors/*errors.errorString
errors/*errors.errorStringc*
fmt/*fmt.wrapError
fmt/*fmt.wrapErrorpermª
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=PermanentErrorretry=permanentancestors=SandboxErrormessage=safeb*
fmt/*fmt.wrapError
fmt/*fmt.wrapErrorvm»
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=VmTransientErrorretry=transient%ancestors=TransientError SandboxErrormessage=safea*
fmt/*fmt.wrapError
fmt/*fmt.wrapError