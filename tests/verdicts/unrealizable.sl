; Issue 14 item 4: f(x) must exceed x, which no value does at x = #xff. The enumeration cannot
; prove that (the grammar is every term), so it stops at --max-size; the rest of the budget
; finds the input and proves that no output value fits it: infeasible for every grammar.
(set-logic BV)
(synth-fun f ((x (_ BitVec 8))) (_ BitVec 8))
(declare-var x (_ BitVec 8))
(constraint (bvugt (f x) x))
(check-synth)
