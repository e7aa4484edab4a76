š
ä
á
a
dl
bal6
errors/*errors.joinError
errors/*errors.joinErrorA
?
a:
errors/*errors.errorString
errors/*errors.errorStringÙ
Ö
dl
bal6
errors/*errors.joinError
errors/*errors.joinErrorÅ
Â
dl»
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=AssetDownloadErrorretry=unspecified!ancestors=AssetError SandboxErrormessage=safeË
È
balÀ
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=BalloonTransientErrorretry=transient%ancestors=TransientError SandboxErrormessage=safesetup*
fmt/*fmt.wrapError
fmt/*fmt.wrapError