
‚
socket resetñ
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=SocketTransientErrorretry=unspecified8ancestors=TransientError CommunicationError SandboxError)parents=TransientError CommunicationError