#!/bin/bash
# Point-in-time recovery drill (README "Backup and restore"): run as the postgres user, e.g.
#   runuser -u postgres -- deploy/pitr-drill.sh /tmp/pitr-drill
# A throwaway cluster on a free port with WAL archiving (the postgresql.conf lines of the README), a base backup,
# two invoices, then recovery to the moment between them: it prints the invoices the restored cluster holds (only
# the first). Nothing of the real database is touched.
set -euo pipefail
B=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)}
W=${1:-/tmp/aftersales-pitr-drill}; mkdir -p "$W"
PORT=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
rm -rf $W/data $W/wal $W/base $W/restored; mkdir -p $W/wal
$B/initdb -D $W/data -U postgres >/dev/null
cat >> $W/data/postgresql.conf <<CONF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$W'
wal_level = replica
archive_mode = on
archive_command = 'test ! -f $W/wal/%f && cp %p $W/wal/%f'
archive_timeout = 60
CONF
$B/pg_ctl -D $W/data -l $W/data.log -w start >/dev/null
P="$B/psql -h 127.0.0.1 -p $PORT -U postgres -qtA"
$P -c "create table invoice(number text primary key, at timestamptz default now())"
$B/pg_basebackup -h 127.0.0.1 -p $PORT -U postgres -D $W/base -Ft -z -Xs -c fast
$P -c "insert into invoice(number) values ('JS2026120600001')"
sleep 2; TARGET=$($P -c "select now()"); sleep 2
$P -c "insert into invoice(number) values ('JS2026120600002')"
$P -c "select pg_switch_wal()" >/dev/null; sleep 3
$B/pg_ctl -D $W/data -w -m fast stop >/dev/null
# restore: unpack the base backup, point restore_command at the archive, stop at TARGET
mkdir -p $W/restored && chmod 700 $W/restored
tar -xzf $W/base/base.tar.gz -C $W/restored
tar -xzf $W/base/pg_wal.tar.gz -C $W/restored/pg_wal
cat >> $W/restored/postgresql.conf <<CONF
archive_mode = off
restore_command = 'cp $W/wal/%f %p'
recovery_target_time = '$TARGET'
recovery_target_action = 'promote'
CONF
touch $W/restored/recovery.signal
$B/pg_ctl -D $W/restored -l $W/restored.log -w start >/dev/null
for _ in $(seq 1 30); do [ "$($P -c 'select pg_is_in_recovery()')" = f ] && break; sleep 1; done
ROWS=$($P -c "select string_agg(number, ' ' order by number) from invoice")
echo "recovered to $TARGET: $ROWS"
$B/pg_ctl -D $W/restored -w -m fast stop >/dev/null
rm -rf "$W"/data "$W"/wal "$W"/base "$W"/restored
