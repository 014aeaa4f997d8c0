#!/usr/bin/env python3
"""A test feed for `tickwire publish`: N BTCUSDT trades at RATE lines per second, as JSON lines.

Line i has the price 50000 + i/100, so a subscriber can tell which lines arrived:
    python3 bench/feed.py 3000 100 | ./tickwire publish --url ws://127.0.0.1:8080/v1/publish ...
(docs/benchmarks.md, "Failover: what a publisher loses").
"""
import sys
import time

count, rate = int(sys.argv[1]), float(sys.argv[2])
start = time.time()
for i in range(1, count + 1):
    wait = start + i / rate - time.time()
    if wait > 0:
        time.sleep(wait)
    sys.stdout.write('{"op":"trade","symbol":"BTCUSDT","price":"%.2f","size":"0.001","side":"buy"}\n'
                     % (50000 + i / 100))
    sys.stdout.flush()
