#!/bin/bash
exec /usr/bin/curl -fsS http://127.0.0.1:1936/healthz
