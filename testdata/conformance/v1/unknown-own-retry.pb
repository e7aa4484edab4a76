
Ä
flakyº
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=ConfFlakyAssetErrorretry=transient!ancestors=AssetError SandboxErrormessage=safe