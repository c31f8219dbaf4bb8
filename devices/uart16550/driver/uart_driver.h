/* Firmware driver for the uart16550 device (rtl/uart16550/uart16550.sv), written only against
 * the tandem_mmio interface: the same C code runs on the model alone, on the RTL, or in
 * lockstep. It targets the 32-bit APB variant (uart16550_w32), where register n sits at byte
 * offset 4n with its data on lane 0, so each read32/write32 is exactly one register access.
 * (On the 8-bit variant a 32-bit access would be split into four register accesses.) */
#ifndef UART_DRIVER_H
#define UART_DRIVER_H

#include <stdint.h>

#include <tandem/mmio.h>
#include <tandem_regs/uart16550.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Register indices: the names generated from devices/uart16550/uart16550.rdl. */
#define UART_REG(n) ((uint32_t)(n) << 2)
#define UART_RBR UART_REG(UART16550_RBR_THR_DLL) /* read, DLAB = 0 */
#define UART_THR UART_REG(UART16550_RBR_THR_DLL) /* write, DLAB = 0 */
#define UART_DLL UART_REG(UART16550_RBR_THR_DLL) /* DLAB = 1 */
#define UART_IER UART_REG(UART16550_IER_DLM)     /* DLAB = 0 */
#define UART_DLM UART_REG(UART16550_IER_DLM)     /* DLAB = 1 */
#define UART_IIR UART_REG(UART16550_IIR_FCR)     /* read */
#define UART_FCR UART_REG(UART16550_IIR_FCR)     /* write */
#define UART_LCR UART_REG(UART16550_LCR)
#define UART_MCR UART_REG(UART16550_MCR)
#define UART_LSR UART_REG(UART16550_LSR)
#define UART_MSR UART_REG(UART16550_MSR)
#define UART_SCR UART_REG(UART16550_SCR)

#define UART_LCR_8N1 0x03u
#define UART_LCR_BREAK UART16550_LCR_BREAK_MASK
#define UART_LCR_DLAB UART16550_LCR_DLAB_MASK
#define UART_FCR_ENABLE 0x01u
#define UART_FCR_CLEAR_RX 0x02u
#define UART_FCR_CLEAR_TX 0x04u
#define UART_FCR_TRIGGER(t) (((uint32_t)(t)&3u) << 6) /* 0: 1, 1: 4, 2: 8, 3: 14 characters */
#define UART_IER_RX UART16550_IER_DLM_ERBFI_MASK
#define UART_IER_THRE UART16550_IER_DLM_ETBEI_MASK
#define UART_IER_LINE UART16550_IER_DLM_ELSI_MASK
#define UART_IER_MODEM UART16550_IER_DLM_EDSSI_MASK
#define UART_IIR_NONE 0x01u
#define UART_IIR_ID(v) ((v)&0x0fu)
#define UART_MCR_DTR UART16550_MCR_DTR_MASK
#define UART_MCR_RTS UART16550_MCR_RTS_MASK
#define UART_MCR_OUT2 UART16550_MCR_OUT2_MASK
#define UART_MCR_LOOP UART16550_MCR_LOOP_MASK
#define UART_LSR_DR UART16550_LSR_DR_MASK
#define UART_LSR_OE UART16550_LSR_OE_MASK
#define UART_LSR_PE UART16550_LSR_PE_MASK
#define UART_LSR_FE UART16550_LSR_FE_MASK
#define UART_LSR_BI UART16550_LSR_BI_MASK
#define UART_LSR_THRE UART16550_LSR_THRE_MASK
#define UART_LSR_TEMT UART16550_LSR_TEMT_MASK

/* The line harness around the UART (test hardware, not part of a 16550). */
#define UART_H_INJ_DATA UART_REG(UART16550_H_INJ_DATA)
#define UART_H_INJ_FMT UART_REG(UART16550_H_INJ_FMT)
#define UART_H_INJ_CTRL UART_REG(UART16550_H_INJ_CTRL)
#define UART_H_INJ_DIV_LO UART_REG(UART16550_H_INJ_DIV_LO)
#define UART_H_INJ_DIV_HI UART_REG(UART16550_H_INJ_DIV_HI)
#define UART_H_INJ_STATUS UART_REG(UART16550_H_INJ_STATUS)
#define UART_H_MODEM_IN UART_REG(UART16550_H_MODEM_IN)
#define UART_H_MODEM_OUT UART_REG(UART16550_H_MODEM_OUT)
#define UART_H_CAP_COUNT UART_REG(UART16550_H_CAP_COUNT)
#define UART_H_CAP_DATA UART_REG(UART16550_H_CAP_DATA)
#define UART_H_CAP_FLAGS UART_REG(UART16550_H_CAP_FLAGS)
#define UART_H_CAP_TIME(i) UART_REG(UART16550_H_CAP_TIME0 + (i))
#define UART_H_LINE UART_REG(UART16550_H_LINE)
#define UART_H_NOW(i) UART_REG(UART16550_H_NOW0 + (i))

/* Waits poll LSR at least this often (cycles); the interrupt line ends a wait early. */
#define UART_POLL_SLICE 64u

/* Program the divisor (one bit = 16 * divisor cycles) and 8N1, enable and clear the FIFOs
 * (trigger level 1), enable the receive interrupt, raise DTR, RTS and OUT2. Returns 0, or -1
 * if the divisor or the scratch register does not read back. */
int uart_init(const tandem_mmio* io, uint16_t divisor);

/* Loopback on (1) or off (0): the transmitter feeds the receiver, sout stays high. */
void uart_set_loopback(const tandem_mmio* io, int on);

/* Wait (about max_cycles at most) for room in the TX FIFO, then queue c. 0, or -1 on timeout. */
int uart_putc(const tandem_mmio* io, uint8_t c, uint32_t max_cycles);

/* Wait (about max_cycles at most) until the transmitter is empty (LSR.TEMT). 0 or -1. */
int uart_flush(const tandem_mmio* io, uint32_t max_cycles);

/* The next received character (0-255), or -1 if none arrived within about max_cycles.
 * *lsr (when not NULL) receives the LSR read that found it: its error bits belong to it. */
int uart_getc(const tandem_mmio* io, uint32_t max_cycles, uint32_t* lsr);

/* Harness: send c to the UART's sin in the UART's own format and bit time. */
void uart_harness_inject(const tandem_mmio* io, uint8_t c);

/* Harness: send c in format fmt (LCR[5:0] layout, bit 6 flips parity, bit 7 forces a framing
 * error) with bit time 16 * divisor (0: the UART's), or a break when brk is set. */
void uart_harness_inject_frame(const tandem_mmio* io, uint8_t c, uint8_t fmt, uint16_t divisor, int brk);

/* Harness: one character the UART sent, as decoded on sout. */
typedef struct uart_capture {
  uint8_t data;
  uint8_t flags;  /* [0] parity error [1] framing error [2] break */
  uint32_t cycle; /* edge (since reset) at which its stop bit was sampled */
} uart_capture;

/* Pop the oldest captured character into *out: 1, or 0 when none is waiting. */
int uart_harness_capture(const tandem_mmio* io, uart_capture* out);

/* Harness: edges since reset before the edge of this call's first access (NOW0). */
uint32_t uart_harness_now(const tandem_mmio* io);

#ifdef __cplusplus
}
#endif

#endif
