
Ç
VmCapacityError³
'github.com/errcode/errcode/errcode.Code)
'github.com/errcode/errcode/errcode.Codecode=VmCapacityErrorretry=transient6ancestors=VmTransientError TransientError SandboxError