
š
collectionsŠ
,github.com/errcode/errcode/*errcode.codedErr.
,github.com/errcode/errcode/*errcode.codedErrcode=GuestAgentErrorretry=unspecifiedancestors=SandboxErrormessage=safe"Ú
.type.googleapis.com/google.protobuf.BytesValue§
¤{"fields":{"any":["x",1,["y"],null,{"t":5}],"blobs":["AQ==",""],"cube":[[["a"],[]],null],"durations":[1000000000],"floats":[1,"NaN","-Inf"],"int32s":[3],"ints":[1,-2],"labels":{"a":"1","b":"2"},"nested":{"x":[1,2],"y":null},"obj":{"a":9,"b":[true],"c":"/g=="},"raw":["b2s=","/w=="],"strings":["a","b"],"strings_empty":[],"strings_nil":null,"times":[[-3786825658,0,58]],"uint8s":"AQI="},"field_types":{"any":[null,"int8","[]string",null,{"t":"duration"}],"blobs":"[]bytes","cube":"[][][]string","durations":"[]duration","floats":"[]float64","int32s":"[]int32","ints":"[]int","labels":"map[string]string","nested":"map[string][]int32","obj":{"a":"uint16","c":"bytestring"},"raw":"[]bytestring","strings":"[]string","strings_empty":"[]string","strings_nil":"[]string","times":"[]unixtime","uint8s":"bytes"}}