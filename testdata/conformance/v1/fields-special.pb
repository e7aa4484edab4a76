
ä
specialØ
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=GuestAgentErrorretry=unspecifiedancestors=SandboxErrormessage=safe"¨
.type.googleapis.com/google.protobuf.BytesValueõ
ò{"fields":{"inf":"+Inf","nan":"NaN","nan32":"NaN","ninf":"-Inf","stderr":"cWVtdS1pbWc6IP/+IHJhdyBieXRlcw==","time_bc":[-63739958400,0,0],"time_far":[316516204800,1,0],"time_lmt":[-3786829258,0,3658]},"field_types":{"inf":"float64","nan":"float64","nan32":"float32","ninf":"float64","stderr":"bytestring","time_bc":"unixtime","time_far":"unixtime","time_lmt":"unixtime"}}