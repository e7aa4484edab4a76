
£
deepš
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=GuestAgentErrorretry=unspecifiedancestors=SandboxErrormessage=safe"k
.type.googleapis.com/google.protobuf.BytesValue9
7{"fields":{"v":[[[[[[[[[[[[[[[["leaf"]]]]]]]]]]]]]]]]}}