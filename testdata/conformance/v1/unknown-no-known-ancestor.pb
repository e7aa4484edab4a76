
Â
orphan·
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=ConfOrphanChildErrorretry=transientancestors=ConfOrphanRootErrormessage=safe