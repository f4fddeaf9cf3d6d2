// The part of toast.ts loaded on first use: ElMessage and (through the style plugin) its stylesheet.
export { ElMessage } from 'element-plus'
