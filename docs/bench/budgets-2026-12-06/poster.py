import http.client, sys, time, threading, os

port = int(sys.argv[1]); tokens = sys.argv[2].split(','); seconds = float(sys.argv[3])
# Frame size and rate: 250 KB at 30 fps unless given (the stuck-reader run posts 200 KB at 5 fps).
size = int(sys.argv[4]) if len(sys.argv) > 4 else 250_000
fps = float(sys.argv[5]) if len(sys.argv) > 5 else 30.0
base = open('/tmp/budgetbench/base.jpg', 'rb').read()

def frame(n):
    out = bytearray(base[:2])
    remaining = size - len(base)
    while remaining > 0:
        payload = min(remaining, 65533)
        seg = bytearray(payload)
        seg[:8] = n.to_bytes(8, 'big')
        out += b'\xff\xfe' + (payload + 2).to_bytes(2, 'big') + seg
        remaining -= payload + 4
    out += base[2:]
    return bytes(out)

FRAME = frame(1)
stats = {}
def device(token):
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=10)
    ok = refused = errors = rings = 0
    start = time.time(); n = 0; next_ring = start
    while time.time() - start < seconds:
        n += 1
        due = start + n / fps
        boundary = 'b0undary'
        body = (f'--{boundary}\r\nContent-Disposition: form-data; name="frame_id"\r\n\r\n{n}\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="frame"; filename="f.jpg"\r\n'
                f'Content-Type: image/jpeg\r\n\r\n').encode() + FRAME + f'\r\n--{boundary}--\r\n'.encode()
        try:
            conn.request('POST', '/api/v1/devices/doorbell/camera-stream', body,
                         {'Authorization': 'Bearer ' + token, 'Content-Type': 'multipart/form-data; boundary=' + boundary})
            r = conn.getresponse(); r.read()
            if r.status == 200: ok += 1
            else: refused += 1
            if time.time() >= next_ring:
                conn.request('POST', '/api/v1/devices/doorbell/ring', b'', {'Authorization': 'Bearer ' + token})
                r = conn.getresponse(); r.read()
                if r.status == 200: rings += 1
                next_ring += 1.5
        except Exception as e:
            errors += 1
            conn.close(); time.sleep(0.2)
            conn = http.client.HTTPConnection('127.0.0.1', port, timeout=10)
            if errors > 20: break
        wait = due - time.time()
        if wait > 0: time.sleep(wait)
    stats[token] = dict(frames=ok, refused=refused, rings=rings, errors=errors)

threads = [threading.Thread(target=device, args=(t,)) for t in tokens]
[t.start() for t in threads]; [t.join() for t in threads]
print(stats)
