(set-logic LIA)
(synth-fun f ((x Int)) Int)
(check-synth)
