·
®
•
badù
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=VmConfigErrorretry=permanent6ancestors=VmPermanentError PermanentError SandboxErrormessage=safe"R
.type.googleapis.com/google.protobuf.BytesValue 
{"fields":{"mem":1,"vcpus":4}}≥
.github.com/errcode/errcode/*errcode.withFields0
.github.com/errcode/errcode/*errcode.withFields"O
.type.googleapis.com/google.protobuf.BytesValue
{"fields":{"vcpus":"four"}}