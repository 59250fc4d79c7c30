(set-logic BV)
(set-info :source "never closed
(check-synth)
