ú
½
º
AssetNotFoundError£
'github.com/errcode/errcode/errcode.Code)
'github.com/errcode/errcode/errcode.Codecode=AssetNotFoundErrorretry=unspecified!ancestors=AssetError SandboxErrorfetch kernel*
fmt/*fmt.wrapError
fmt/*fmt.wrapError