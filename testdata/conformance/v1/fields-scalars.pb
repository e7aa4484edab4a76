
Û
scalarsÏ
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=GuestAgentErrorretry=unspecifiedancestors=SandboxErrormessage=safe"Ÿ
.type.googleapis.com/google.protobuf.BytesValueì
é{"fields":{"bool":true,"bytes":"AAEC/w==","bytes_empty":"","bytes_nil":"","duration":1500000000,"float32":1.1,"float64":2.5,"float64_int":3,"int":7,"int16":-16,"int32":-32,"int64":-9223372036854775808,"int8":-8,"nil":null,"string":"plain","time":"2024-05-06T07:08:09.123456789Z","time_zone":"2024-05-06T07:08:09+02:00","uint":1,"uint16":65535,"uint32":4294967295,"uint64":18446744073709551615,"uint8":255},"field_types":{"bytes":"bytes","bytes_empty":"bytes","bytes_nil":"bytes","duration":"duration","float32":"float32","float64":"float64","float64_int":"float64","int16":"int16","int32":"int32","int64":"int64","int8":"int8","time":"time","time_zone":"time","uint":"uint","uint16":"uint16","uint32":"uint32","uint64":"uint64","uint8":"uint8"}}