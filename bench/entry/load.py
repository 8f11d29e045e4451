"""bench/entry load generator: C concurrent shoppers each send receipt
photos (padded to 1 MB) as multipart uploads; for recam, each entry is
then polled until judged. Prints one JSON line of figures."""
import http.client
import json
import statistics
import sys
import threading
import time
import uuid


def multipart(photo):
    b = "----bench" + uuid.uuid4().hex
    head = (f"--{b}\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\n{uuid.uuid4().hex[:8]}@example.jp\r\n"
            f"--{b}\r\nContent-Disposition: form-data; name=\"agree\"\r\n\r\ntrue\r\n"
            f"--{b}\r\nContent-Disposition: form-data; name=\"receipt\"; filename=\"r.jpg\"\r\n"
            "Content-Type: image/jpeg\r\n\r\n").encode()
    return head + photo + f"\r\n--{b}--\r\n".encode(), f"multipart/form-data; boundary={b}"


def run(port, path, photos, concurrency, poll):
    lat, statuses, lock = [], {}, threading.Lock()
    work = list(photos)

    def shopper():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        while True:
            with lock:
                if not work:
                    break
                photo = work.pop()
            body, ctype = multipart(photo)
            t0 = time.monotonic()
            conn.request("POST", path, body=body, headers={"Content-Type": ctype, "Idempotency-Key": uuid.uuid4().hex})
            r = conn.getresponse()
            data = r.read()
            status = None
            if poll and r.status == 202:
                entry = json.loads(data)["entry"]
                cookie = r.getheader("Set-Cookie").split(";")[0]
                while entry["status"] in ("queued", "reading"):
                    time.sleep(0.05)
                    conn.request("GET", f"{path}/{entry['id']}", headers={"Cookie": cookie})
                    entry = json.loads(conn.getresponse().read())["entry"]
                status = entry["status"]
            dt = time.monotonic() - t0
            with lock:
                lat.append(dt)
                key = status or str(r.status)
                statuses[key] = statuses.get(key, 0) + 1
        conn.close()

    start = time.monotonic()
    threads = [threading.Thread(target=shopper) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - start
    lat.sort()
    done = statuses.get("accepted", 0) if poll else statuses.get("202", 0)
    print(json.dumps({"concurrency": concurrency, "n": len(photos), "wall_s": round(wall, 2),
                      "per_s": round(done / wall, 2), "p50_s": round(statistics.median(lat), 3),
                      "p95_s": round(lat[int(0.95 * (len(lat) - 1))], 3), "statuses": statuses}))


if __name__ == "__main__":
    port, path, concurrency, poll = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4] == "poll"
    photos = []
    for f in sys.argv[5:]:
        data = open(f, "rb").read()
        # Padded after the image's end to 1 MB: decoders ignore the tail,
        # and every upload stays a distinct file.
        photos.append(data + uuid.uuid4().bytes * ((1024 * 1024 - len(data)) // 16 + 1))
    run(port, path, photos, concurrency, poll)
