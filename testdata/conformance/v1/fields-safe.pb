
€
peer“
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=SocketAuthErrorretry=unspecified)ancestors=CommunicationError SandboxErrormessage=safe"è
.type.googleapis.com/google.protobuf.BytesValue]
[{"fields":{"actual_uid":0,"expected_uid":1000,"path":"/run/x.sock"},"safe_fields":["path"]}