±
D
B
full:
errors/*errors.errorString
errors/*errors.errorStringè
7github.com/cockroachdb/errors/markers/*markers.withMark9
7github.com/cockroachdb/errors/markers/*markers.withMark"r
2type.googleapis.com/cockroach.errorspb.MarkPayload<
VmCapacityError)
'github.com/errcode/errcode/errcode.Code