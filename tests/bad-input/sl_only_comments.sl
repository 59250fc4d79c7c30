; nothing here
; at all
