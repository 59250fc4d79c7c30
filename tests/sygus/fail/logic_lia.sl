; Integer arithmetic is not supported.
(set-logic LIA)
(synth-fun f ((x Int)) Int)
(check-synth)
