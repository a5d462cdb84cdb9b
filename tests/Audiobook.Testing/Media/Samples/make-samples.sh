#!/usr/bin/env bash
# Regenerates the test audio in this folder (needs ffmpeg). See README.md for what each file is.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
f() { ffmpeg -hide_banner -loglevel error -y "$@"; }
tone() { echo "sine=frequency=$1:duration=$2"; }

f -f lavfi -i "$(tone 440 5)" -ac 1 -c:a aac -b:a 32k -movflags +faststart -f ipod faststart.m4a
f -f lavfi -i "$(tone 440 5)" -ac 1 -c:a aac -b:a 32k -f ipod moov-at-end.m4a
f -f lavfi -i "$(tone 330 6)" -ac 1 -c:a aac -b:a 32k \
  -movflags frag_keyframe+empty_moov+default_base_moof -frag_duration 1000000 -f mp4 fragmented.mp4
f -f lavfi -i "$(tone 550 4)" -ac 1 -c:a aac -b:a 32k -brand isom -f mp4 isom.mp4
chapters="$(mktemp)"
printf ';FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=3000\ntitle=One\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=3000\nEND=7000\ntitle=Two\n' >"$chapters"
f -f lavfi -i "$(tone 220 7)" -i "$chapters" -map_metadata 1 -map_chapters 1 -ac 1 -c:a aac -b:a 32k -brand "M4B " -f mp4 with-chapters.m4b
rm -f "$chapters"
f -f lavfi -i "testsrc=duration=2:size=64x48:rate=5" -c:v mpeg4 -f mp4 video-only.mp4
f -f lavfi -i "$(tone 440 3)" -ac 1 -c:a libmp3lame -b:a 32k -f mp3 mp3-renamed.m4a
f -f lavfi -i "$(tone 440 1)" -ac 1 -f wav tone.wav
cp faststart.m4a protected.m4p
printf 'M4P ' | dd of=protected.m4p bs=1 seek=8 conv=notrunc status=none
echo "This is not audio, just text pretending to be an m4a file." >text.m4a

# Single-file audiobooks: chapter markers, iTunes tags with non-ASCII text, and a cover.
ffmetadata() { # ffmetadata <file> <end ms> <title>... : one marker per title, evenly spaced
  local file="$1" end="$2"; shift 2; local n=$# i=0
  { echo ';FFMETADATA1'; for title in "$@"; do
      printf '[CHAPTER]\nTIMEBASE=1/1000\nSTART=%d\nEND=%d\ntitle=%s\n' $((end * i / n)) $((end * (i + 1) / n)) "$title"; i=$((i + 1)); done; } >"$file"
}
work="$(mktemp -d)"
f -f lavfi -i "testsrc=size=300x300:rate=1" -frames:v 1 "$work/cover.jpg"
f -f lavfi -i "testsrc2=size=200x200:rate=1" -frames:v 1 "$work/cover.png"
ffmetadata "$work/three.txt" 9000 "Prologue — Unter den Linden" "Kapitel 1: Straße" "Épilogue 終わり"
tags=(-metadata title="Die Verwandlung (Ungekürzt)" -metadata artist="Zoë Ångström" -metadata album_artist="Zoë Ångström"
  -metadata album="Die Verwandlung" -metadata composer="Jürgen Müller" -metadata date=1915 -metadata genre="Hörbuch"
  -metadata description="Als Gregor Samsa eines Morgens aus unruhigen Träumen erwachte… 変身" -metadata comment="Made by make-samples.sh"
  -metadata:s:a:0 language=deu)
book() { # book <cover> <output> <extra ffmpeg options>...
  local cover="$1" out="$2"; shift 2
  f -f lavfi -i "$(tone 300 9)" -i "$work/three.txt" -i "$cover" -map 0:a -map 2:v -map_metadata 1 -map_chapters 1 \
    -ac 1 -c:a aac -b:a 32k -c:v copy -disposition:v:0 attached_pic "${tags[@]}" "$@" -f mp4 "$out"
}
book "$work/cover.jpg" book-both-markers.m4a
book "$work/cover.png" book-quicktime-markers.m4a -movflags +disable_chpl
book "$work/cover.jpg" "$work/nero.m4a"
python3 hide-chapter-track.py "$work/nero.m4a" book-nero-markers.m4a
titles=(); for i in $(seq 1 1500); do titles+=("Teil $i"); done
ffmetadata "$work/many.txt" 150000 "${titles[@]}"
f -f lavfi -i "$(tone 250 150)" -i "$work/many.txt" -map_chapters 1 -ac 1 -c:a aac -b:a 16k -f mp4 book-many-markers.m4a
rm -rf "$work"
