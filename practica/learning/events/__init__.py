"""Events (forums, workshops, training days): registration and the waiting list, attendance,
calendar files, the CPD record and the cpd-events report."""
