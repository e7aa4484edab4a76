
–
json values†
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=GuestAgentErrorretry=unspecifiedancestors=SandboxErrormessage=safe"Ö
.type.googleapis.com/google.protobuf.BytesValue£
 {"fields":{"complex":"(1+2i)","error":"boom","int_keys":{"1":"a","2":"b"},"maps":[{"k":1}],"named_slice":["a"],"stringer":{},"struct":{"X":1,"Y":2,"name":"p"}}}