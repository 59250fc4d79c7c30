//! The canonical IR text: one instruction per line, two-space indent, a blank line between
//! functions. `iconst` immediates print as unsigned decimal when small, negative decimal when
//! that is shorter, and hex otherwise; all three parse back to the same bits.

use std::fmt::{self, Write};

use crate::{Function, Inst, Module, Opcode, Type};

impl fmt::Display for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "fn {}(", self.name)?;
        for (i, p) in self.params.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{}: {}", p.value, p.ty)?;
        }
        writeln!(f, ") -> {} {{", self.ret_ty)?;
        for inst in &self.body {
            writeln!(f, "  {inst}")?;
        }
        writeln!(f, "  ret {}", self.ret)?;
        f.write_str("}\n")
    }
}

impl fmt::Display for Inst {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} = {}", self.result, self.opcode)?;
        if self.opcode.has_type_suffix() {
            write!(f, ".{}", self.ty)?;
        }
        if self.opcode == Opcode::Iconst {
            return write!(f, " {}", constant_text(self.ty, self.imm));
        }
        for (i, a) in self.args.iter().enumerate() {
            f.write_str(if i == 0 { " " } else { ", " })?;
            write!(f, "{a}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Module {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, func) in self.functions.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{func}")?;
        }
        Ok(())
    }
}

/// The text of a constant of type `ty`: small values in decimal, `-N` for small negatives, else hex.
pub fn constant_text(ty: Type, bits: u64) -> String {
    let signed = ty.to_signed(bits);
    if bits <= 0xffff {
        bits.to_string()
    } else if ty.width() > 1 && (-0xffff..0).contains(&signed) {
        signed.to_string()
    } else {
        let mut s = String::new();
        let _ = write!(s, "{bits:#x}");
        s
    }
}
