import socket, os, sys, time, select, struct
port=int(sys.argv[1]); n=int(sys.argv[2]); hold=float(sys.argv[3]); wrong=len(sys.argv)>4
socks=[]
for i in range(1,n+1):
    s=socket.create_connection(('127.0.0.1',port))
    tok = 'not-a-device-token-%04d' % i if wrong else 'bench-doorbell-token-%04d-0123456789' % i
    s.sendall(('GET /api/v1/devices/doorbell/link HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
               'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer %s\r\n\r\n' % tok).encode())
    head=b''
    while b'\r\n\r\n' not in head: head+=s.recv(1)
    if not wrong and not head.startswith(b'HTTP/1.1 101'): print('no link', head[:40]); sys.exit(1)
    if wrong:
        rest=head.split(b'\r\n\r\n',1)[1]
    socks.append(s)
print('open', len(socks), flush=True)
end=time.time()+hold
bufs={s:b'' for s in socks}
while time.time()<end:
    r,_,_=select.select(socks,[],[],1)
    for s in r:
        d=s.recv(4096)
        if not d: continue
        if wrong: continue
        b=bufs[s]+d
        while len(b)>=2:
            op=b[0]&0x0F; ln=b[1]&0x7F; h=2
            if ln==126:
                if len(b)<4: break
                ln=struct.unpack('>H',b[2:4])[0]; h=4
            if len(b)<h+ln: break
            payload=b[h:h+ln]; b=b[h+ln:]
            if op==9:
                mask=b'\x01\x02\x03\x04'
                s.sendall(bytes([0x8A,0x80|len(payload)])+mask+bytes(x^mask[i%4] for i,x in enumerate(payload)))
        bufs[s]=b
print('done', flush=True)
