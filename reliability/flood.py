"""Opens many idle connections to feltsense serve, then times a normal
request while they are held (issue 10, item 4). Prints its figures as
`name value` lines; exits 1 if a normal request was not answered with 200
within a second.

Usage: python3 reliability/flood.py PORT HOST:PORT CONNECTIONS ROUNDS
"""
import resource
import socket
import sys
import time


def request(port, authority):
    """Seconds a GET /help-now took, and its status line."""
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(f"GET /help-now HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n".encode())
        reply = b""
        while chunk := s.recv(65536):
            reply += chunk
    return time.monotonic() - start, reply.split(b"\r\n", 1)[0].decode()


def closed(s):
    """True if the server has closed this idle connection."""
    s.setblocking(False)
    try:
        return s.recv(1) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


def flood(port, count):
    """Opens `count` connections that never send a byte."""
    held, refused = [], 0
    for _ in range(count):
        try:
            held.append(socket.create_connection(("127.0.0.1", port), timeout=2))
        except OSError:
            refused += 1
    return held, refused


def main():
    port, authority, count, rounds = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    slowest, statuses, closed_total, refused_total = 0.0, [], 0, 0
    for _ in range(rounds):
        held, refused = flood(port, count)
        took, status = request(port, authority)
        slowest, refused_total = max(slowest, took), refused_total + refused
        statuses.append(status)
        closed_total += sum(closed(s) for s in held)
        for s in held:
            s.close()
    ok = all(s == "HTTP/1.1 200 OK" for s in statuses) and slowest < 1.0
    print(f"idle_connections_opened {count * rounds - refused_total}")
    print(f"closed_by_server {closed_total}")
    print(f"normal_requests {len(statuses)} answered_200 {statuses.count('HTTP/1.1 200 OK')}")
    print(f"slowest_normal_request_ms {slowest * 1000:.1f}")
    sys.exit(0 if ok else 1)


main()
