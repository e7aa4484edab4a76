
—
vm died‹
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=VmErrorretry=unspecified
ancestors=