# The original assignment's config.py, unchanged: bare delays are seconds.
# Try it scaled down: quartet up --config configs/config.py --delay-unit ms
servers = [
    ("127.0.0.1", 10000),
    ("127.0.0.1", 10001),
    ("127.0.0.1", 10002),
    ("127.0.0.1", 10003)
]
delays = {
    ("127.0.0.1", 10000): 2,
    ("127.0.0.1", 10001): 20,
    ("127.0.0.1", 10002): 2,
    ("127.0.0.1", 10003): 2
}
