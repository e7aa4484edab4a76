
Á
	timed out³
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=PySocketTimeoutErrorretry=unspecified%ancestors=TransientError SandboxError