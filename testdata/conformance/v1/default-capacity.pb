
Ù
	pool fullË
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=VmCapacityErrorretry=transient6ancestors=VmTransientError TransientError SandboxErrormessage=safe